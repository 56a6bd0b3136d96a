// The report page: anything with data-seek seeks the player (and plays); a click on the
// waveform, music or loudness lanes seeks to that point; the playhead and the current
// segment follow playback; hovering or focusing a mark shows its tooltip. Nothing is fetched.
(function () {
  "use strict";
  var audio = document.getElementById("player");
  var timeline = document.getElementById("timeline");
  var tip = document.getElementById("tip");
  var head = document.getElementById("playhead");
  if (!audio || !timeline) { return; }
  var duration = parseFloat(timeline.dataset.duration) || 0;
  function seek(t) {
    audio.currentTime = Math.max(0, t);
    update();
    var playing = audio.play();
    if (playing && playing.catch) { playing.catch(function () {}); }  // autoplay may be refused: the seek stands
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-seek]"), function (el) {
    el.addEventListener("click", function (event) { event.stopPropagation(); seek(parseFloat(el.dataset.seek)); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-scrub]"), function (lane) {
    lane.addEventListener("click", function (event) {
      var box = lane.getBoundingClientRect();
      if (box.width > 0 && duration > 0) { seek(duration * (event.clientX - box.left) / box.width); }
    });
  });
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-segment], .seg"));
  var shown = [];
  function update() {
    var t = audio.currentTime || 0;
    if (head && duration > 0) { head.style.left = Math.min(100, 100 * t / duration) + "%"; }
    var now = rows.filter(function (el) {
      return parseFloat(el.dataset.start) <= t + 0.001 && t < parseFloat(el.dataset.end);
    });
    shown.forEach(function (el) { if (now.indexOf(el) < 0) { el.classList.remove("current"); el.removeAttribute("aria-current"); } });
    now.forEach(function (el) { el.classList.add("current"); el.setAttribute("aria-current", "true"); });
    shown = now;
  }
  function showTip(el) {
    if (!tip || !el.dataset.tip) { return; }
    tip.textContent = el.dataset.tip;
    tip.hidden = false;
    var box = el.getBoundingClientRect();
    var left = box.left + window.scrollX, maxLeft = window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8;
    tip.style.left = Math.max(window.scrollX + 4, Math.min(left, maxLeft)) + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    el.setAttribute("aria-describedby", "tip");
  }
  function hideTip(el) { if (tip) { tip.hidden = true; } el.removeAttribute("aria-describedby"); }
  Array.prototype.forEach.call(document.querySelectorAll("[data-tip]"), function (el) {
    el.addEventListener("mouseenter", function () { showTip(el); });
    el.addEventListener("focus", function () { showTip(el); });
    el.addEventListener("mouseleave", function () { hideTip(el); });
    el.addEventListener("blur", function () { hideTip(el); });
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape" && tip) { tip.hidden = true; } });
  ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) { audio.addEventListener(name, update); });
  update();
}());
