// The workbench's selection: tick records on any tab or page of a run's flow; the sum bar shows
// how many, each side's total and their difference, live. The selection lives in sessionStorage
// (per run and flow), so it survives paging, tab changes and HTMX table swaps; the bar's form
// sends it as "record" fields. Amounts are integer minor units, as everywhere in huikuan.
(function () {
  "use strict";

  function money(minor) {
    var sign = minor < 0 ? "-" : "";
    var abs = Math.abs(minor);
    var whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = (abs % 100).toString().padStart(2, "0");
    return sign + "¥" + whole + "." + cents;
  }

  function load(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }

  function init() {
    var form = document.getElementById("selection");
    if (!form) return;
    var key = "huikuan-selection-" + form.dataset.key;
    var relation = form.dataset.relation;
    var selected = load(key);

    function save() { sessionStorage.setItem(key, JSON.stringify(selected)); }

    function render() {
      var left = 0, right = 0, count = 0, sides = {};
      Object.keys(selected).forEach(function (value) {
        var item = selected[value];
        count += 1;
        sides[item.side] = true;
        if (item.side === "left") left += item.amount; else right += item.amount;
      });
      var difference = relation === "opposite" ? left + right : left - right;
      form.querySelector('[data-sum="count"]').textContent = count;
      form.querySelector('[data-sum="left"]').textContent = money(left);
      form.querySelector('[data-sum="right"]').textContent = money(right);
      var diff = form.querySelector('[data-sum="difference"]');
      diff.textContent = money(difference);
      diff.parentNode.classList.toggle("zero", count > 0 && difference === 0);
      diff.parentNode.classList.toggle("nonzero", difference !== 0);
      form.classList.toggle("empty", count === 0);
      form.querySelectorAll("button[data-needs]").forEach(function (button) {
        var need = button.dataset.needs;
        button.disabled = count === 0 || (need === "both" && !(sides.left && sides.right)) ||
          (need === "difference" && difference === 0);
      });
      var holder = form.querySelector("[data-records]");
      holder.innerHTML = "";
      Object.keys(selected).forEach(function (value) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = "record"; input.value = value;
        holder.appendChild(input);
      });
      document.querySelectorAll("table.selectable input[type=checkbox]").forEach(function (box) {
        box.checked = Object.prototype.hasOwnProperty.call(selected, box.value);
        box.closest("tr").classList.toggle("picked", box.checked);
      });
    }

    document.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches || !box.matches("table.selectable input[type=checkbox]")) return;
      if (box.checked) selected[box.value] = {side: box.dataset.side, amount: parseInt(box.dataset.amount, 10)};
      else delete selected[box.value];
      save();
      render();
    });
    form.querySelector("[data-clear]").addEventListener("click", function () {
      selected = {}; save(); render();
    });
    // a decision sent: the records are no longer "to select"
    form.addEventListener("submit", function () { sessionStorage.removeItem(key); });
    document.body.addEventListener("htmx:afterSwap", render);
    render();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
