// The live credit feed: follows the stream of credit changes and adds each as a row, newest
// last, built with textContent (nothing from the stream is parsed as HTML). Without this
// script the page is the same list, read page by page.
(function () {
  "use strict";
  var table = document.querySelector("[data-live-feed]");
  if (!table || !window.EventSource) return;
  var status = document.querySelector("[data-live-status]");
  var body = table.querySelector("tbody");
  var after = table.getAttribute("data-after");
  var url = table.getAttribute("data-stream") + (after ? "?after=" + encodeURIComponent(after) : "");
  var source = new EventSource(url);

  function say(attribute) {
    if (!status) return;
    status.textContent = status.getAttribute(attribute);
    status.hidden = false;
  }
  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  function localTime(iso) {
    var when = new Date(iso);
    if (isNaN(when)) return iso;
    var china = new Date(when.getTime() + 8 * 3600 * 1000).toISOString();
    return china.slice(0, 10) + " " + china.slice(11, 16);
  }

  source.addEventListener("open", function () { say("data-live-text"); });
  source.addEventListener("error", function () { say("data-offline-text"); });
  source.addEventListener("credit.changed", function (event) {
    var item;
    try { item = JSON.parse(event.data); } catch (e) { return; }
    var row = document.createElement("tr");
    row.setAttribute("data-cursor", item.cursor);
    cell(row, localTime(item.changed_at));
    var code = cell(row, "");
    var link = document.createElement("a");
    link.href = "/enterprises/" + encodeURIComponent(item.credit_code);
    link.textContent = item.credit_code;
    code.appendChild(link);
    cell(row, item.previous_grade + " → " + item.grade);
    cell(row, item.previous_score + " → " + item.score);
    body.appendChild(row);
    var empty = document.querySelector("[data-feed-empty]");
    if (empty) empty.hidden = true;
  });
})();
