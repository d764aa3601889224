// Drag and drop onto the upload form: the dropped files become the file input's files and the
// form is sent at once (HTMX posts it and shows one preview card per file).
document.addEventListener("DOMContentLoaded", function () {
  var zone = document.getElementById("upload");
  var input = document.getElementById("files");
  if (!zone || !input) return;
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    input.files = e.dataTransfer.files;
    htmx.trigger(zone, "submit");
  });
  input.addEventListener("change", function () { if (input.files.length) htmx.trigger(zone, "submit"); });
  // an upload refused before its body was read (413, too large) still shows the message it got
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    var d = e.detail;
    if (d.xhr && d.xhr.status === 413 && d.target && d.target.id === "previews") {
      d.shouldSwap = true;
      d.isError = false;
    }
  });
});
