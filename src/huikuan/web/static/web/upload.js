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
});
