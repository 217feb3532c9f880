// opengov-lint serve: drag and drop onto the upload boxes, the size limit said before a file is
// sent, "checking…" while it is. Only an enhancement: the form works without it.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form) return;
  var limit = parseInt(form.getAttribute("data-limit"), 10) || 0;
  function mb(n) { return (n / 1048576).toFixed(1) + " MB"; }
  function show(box, input) {
    var out = box.querySelector(".chosen");
    var f = input.files && input.files[0];
    if (!out) return;
    out.textContent = f ? f.name + "（" + mb(f.size) + "）" : "";
  }
  Array.prototype.forEach.call(form.querySelectorAll(".drop"), function (box) {
    var input = box.querySelector("input[type=file]");
    if (!input) return;
    input.addEventListener("change", function () { show(box, input); });
    ["dragenter", "dragover"].forEach(function (t) {
      box.addEventListener(t, function (e) { e.preventDefault(); box.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      box.addEventListener(t, function (e) { e.preventDefault(); box.classList.remove("over"); });
    });
    box.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        show(box, input);
      }
    });
  });
  form.addEventListener("submit", function (e) {
    var big = Array.prototype.filter.call(form.querySelectorAll("input[type=file]"), function (i) {
      return limit && i.files && i.files[0] && i.files[0].size > limit;
    });
    if (big.length) {
      e.preventDefault();
      var f = big[0].files[0];
      alert("文件 " + f.name + " 有 " + mb(f.size) + "，超过上限 " + mb(limit) + "。\n" +
            f.name + " is " + mb(f.size) + ", over the " + mb(limit) + " limit.");
      return;
    }
    form.classList.add("sending");
  });
})();
