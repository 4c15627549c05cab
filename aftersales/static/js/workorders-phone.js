/* The technician's job page: every save goes to the work-order API with an Idempotency-Key and
 * is retried until the server confirms, so a submission is never lost on a bad connection.
 * Text saves are also kept in localStorage until confirmed and resent when the page reopens;
 * photos and the signature are retried while the page stays open. */
(function () {
  "use strict";
  var root = document.querySelector("[data-wo-job]");
  if (!root) return;
  var api = root.dataset.api;
  var store = "wo-pending:" + root.dataset.number;
  var statusBox = document.getElementById("wo-status");
  var headers = {};
  try { headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (e) { headers = {}; }
  var csrf = headers["X-CSRFToken"] || "";

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function say(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "alert py-1 px-2 small mb-2 alert-" + (kind || "info");
    statusBox.hidden = false;
  }
  function pending() {
    try { return JSON.parse(localStorage.getItem(store) || "[]"); } catch (e) { return []; }
  }
  function keep(list) {
    try { localStorage.setItem(store, JSON.stringify(list)); } catch (e) { /* private mode */ }
  }
  function forget(key) { keep(pending().filter(function (p) { return p.key !== key; })); }
  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function errorText(body) {
    if (!body) return "";
    var text = body.message || "";
    if (body.detail && Array.isArray(body.detail)) {
      text += " " + body.detail.map(function (d) { return (d.field ? d.field + ": " : "") + (d.error || ""); }).join("; ");
    }
    return text;
  }

  /* One save: POST until the server answers; 5xx and network errors are retried with backoff. */
  async function send(entry) {
    var delay = 1000;
    for (;;) {
      var options = {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, "Idempotency-Key": entry.key, "Accept": "application/json" },
      };
      if (entry.form) {
        options.body = entry.form;
      } else {
        options.headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(entry.json || {});
      }
      try {
        var response = await fetch(api + entry.path, options);
        if (response.ok) return { ok: true };
        if (response.status >= 500 || response.status === 408 || response.status === 429) {
          throw new Error("retry");
        }
        var body = null;
        try { body = await response.json(); } catch (e) { body = null; }
        return { ok: false, status: response.status, body: body };
      } catch (e) {
        say(root.dataset.msgRetry, "warning");
        await sleep(delay);
        delay = Math.min(delay * 2, 30000);
      }
    }
  }

  async function submit(entry) {
    if (!entry.form) keep(pending().concat([{ key: entry.key, path: entry.path, json: entry.json }]));
    say(root.dataset.msgSaving, "info");
    var result = await send(entry);
    forget(entry.key);
    if (result.ok) {
      say(root.dataset.msgSaved, "success");
      window.location.reload();
    } else {
      say(errorText(result.body) || ("HTTP " + result.status), "danger");
    }
    return result;
  }

  // Saves left over from an earlier visit with no connection are sent again first.
  var left = pending();
  if (left.length) {
    say(root.dataset.msgPending, "warning");
    (async function () {
      for (var i = 0; i < left.length; i++) {
        await send(left[i]);
        forget(left[i].key);
      }
      window.location.reload();
    })();
  }

  root.querySelectorAll("[data-wo-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      button.disabled = true;
      submit({ key: newKey(), path: "/steps", json: { action: button.dataset.woStep } })
        .then(function () { button.disabled = false; });
    });
  });

  function formJson(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) { data[name] = value; });
    return data;
  }

  function bind(name, build) {
    var form = root.querySelector('[data-wo-form="' + name + '"]');
    if (!form) return null;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var entry = build(form);
      if (!entry) return;
      entry.key = form.dataset.key || newKey();
      form.dataset.key = entry.key; // a second tap on the same form is the same save
      var button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      submit(entry).then(function (result) {
        if (button) button.disabled = false;
        if (!result.ok) delete form.dataset.key;
      });
    });
    form.addEventListener("input", function () { delete form.dataset.key; });
    return form;
  }

  bind("pause", function (form) { return { path: "/pause", json: formJson(form) }; });
  bind("record", function (form) {
    var data = formJson(form);
    data.labour_minutes = data.labour_minutes === "" ? null : parseInt(data.labour_minutes, 10);
    return { path: "/record", json: data };
  });
  bind("parts", function (form) {
    var data = formJson(form);
    return {
      path: "/parts",
      json: {
        part_code: (data.part_code || "").trim(),
        quantity: data.quantity || "1",
        batch: (data.batch || "").trim(),
        is_main_component: !!data.is_main_component,
      },
    };
  });
  bind("complete", function (form) {
    var data = formJson(form);
    return {
      path: "/complete",
      json: { rating: data.rating ? parseInt(data.rating, 10) : null, comment: data.comment || "" },
    };
  });

  root.querySelectorAll("[data-wo-photo]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (!input.files || !input.files.length) return;
      var form = new FormData();
      form.append("kind", input.dataset.woPhoto);
      form.append("file", input.files[0], input.files[0].name);
      submit({ key: newKey(), path: "/photos", form: form });
    });
  });

  var signForm = root.querySelector('[data-wo-form="signature"]');
  if (signForm && window.SignaturePad) {
    var canvas = signForm.querySelector("canvas");
    var pad = new window.SignaturePad(canvas, { backgroundColor: "rgba(0,0,0,0)", penColor: "#111" });
    /* Resizing a canvas wipes it: a phone's address bar sliding away or a rotation would lose
     * the customer's signature. The strokes are kept as data (toData/fromData, as
     * signature_pad documents), scaled to fit the new size, and drawn again on the resized canvas;
     * a resize that leaves the canvas's size and pixel ratio as they were changes nothing. */
    var drawn = { width: 0, height: 0, ratio: 0 };
    var resize = function () {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var width = canvas.offsetWidth;
      var height = canvas.offsetHeight;
      if (!width || !height) return;
      if (width === drawn.width && height === drawn.height && ratio === drawn.ratio) return;
      var strokes = pad.toData();
      // one factor for both axes (a signature is not stretched) that keeps it inside the pad
      var factor = drawn.width ? Math.min(width / drawn.width, height / drawn.height) : 1;
      canvas.width = width * ratio;
      canvas.height = height * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      if (strokes.length) {
        strokes.forEach(function (stroke) {
          (stroke.points || []).forEach(function (point) {
            point.x *= factor;
            point.y *= factor;
          });
        });
        pad.fromData(strokes);
      }
      drawn = { width: width, height: height, ratio: ratio };
    };
    resize();
    window.addEventListener("resize", resize);
    window.addEventListener("orientationchange", resize);
    signForm.querySelector("[data-wo-clear]").addEventListener("click", function () { pad.clear(); });
    signForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (pad.isEmpty()) { say(root.dataset.msgSignFirst, "danger"); return; }
      var key = newKey();
      canvas.toBlob(function (blob) {
        var form = new FormData();
        form.append("file", blob, "signature.png");
        form.append("signer_name", signForm.elements.signer_name.value);
        form.append("amount_seen", signForm.dataset.amount);
        submit({ key: key, path: "/signature", form: form });
      }, "image/png");
    });
  }
})();
