/* Switchboard web chat widget: one <script> tag, no build step.
 *
 *   <script src="https://support.example.com/v1/chat/widget.js" async></script>
 *
 * Options (data- attributes on the tag): data-title="Chat with us", data-transport="rest" (skip the
 * WebSocket), data-open="true" (start open). Page API: window.SwitchboardChat.send(text),
 * .identify({email | phone, name, signature}), .open(), .close(), .state(). `signature` is the site's vouch
 * for a logged-in customer: hex HMAC-SHA256 of the email or phone exactly as passed, keyed by the secret in
 * SWITCHBOARD_CHAT_IDENTITY_SECRET, computed by the site's server (the secret never goes in a page).
 * The session's resume token is kept in localStorage, so the visitor's next page continues the same
 * conversation. A message shows "sending" until the server's ack says it is durable; one that was not
 * acked is sent again with the same client_id (the server routes it once). Agents' replies arrive as
 * "reply" frames (again on resume until acknowledged): each is shown once and acknowledged with "seen".
 */
(function () {
  "use strict";
  if (window.SwitchboardChat) return;
  var script = document.currentScript;
  var src = new URL(script.src, document.baseURI);
  var base = src.href.replace(/\/v1\/chat\/widget\.js(\?.*)?$/, "");
  var options = script.dataset || {};
  var key = "switchboard-chat:" + base;
  var session = load();
  var pending = [];            // messages not yet acked, in order: {client_id, text, el}
  var identity = null;         // the last identify, sent again on every new socket
  var socket = null, connected = false, failures = 0, useRest = options.transport === "rest";
  var timer = null, ping = null;
  var ui = build();

  function load() {
    try { return JSON.parse(localStorage.getItem(key)) || null; } catch (e) { return null; }
  }
  function save(s) {
    session = s;
    try { localStorage.setItem(key, JSON.stringify(s)); } catch (e) { /* private mode: this page only */ }
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function build() {
    var host = document.createElement("div");
    host.id = "switchboard-chat";
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    root.innerHTML =
      "<style>" +
      ".b{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;" +
      "background:#1f5fbf;color:#fff;font:15px system-ui,sans-serif;cursor:pointer}" +
      ".p{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:320px;max-height:60vh;display:none;" +
      "flex-direction:column;background:#fff;border:1px solid #ccd;border-radius:10px;font:14px system-ui,sans-serif;" +
      "box-shadow:0 6px 24px rgba(0,0,0,.18)}" +
      ".p.o{display:flex}.h{padding:10px 12px;background:#1f5fbf;color:#fff;border-radius:10px 10px 0 0}" +
      ".l{flex:1;overflow:auto;margin:0;padding:8px 12px;list-style:none}" +
      ".l li{margin:6px 0;padding:6px 9px;border-radius:8px;background:#eef3fb;white-space:pre-wrap}" +
      ".l li small{display:block;color:#667;font-size:11px}.l li[data-state=failed]{background:#fbeeee}" +
      ".l li.a{background:#f1f1f1;margin-right:24px}" +
      "form{display:flex;border-top:1px solid #dde}textarea{flex:1;border:0;padding:8px;resize:none;font:inherit}" +
      "button[type=submit]{border:0;background:none;color:#1f5fbf;padding:0 12px;cursor:pointer}" +
      "</style>" +
      "<button class=b type=button></button>" +
      "<div class=p role=dialog><div class=h></div><ul class=l aria-live=polite></ul>" +
      "<form><textarea rows=2 maxlength=4000></textarea><button type=submit>Send</button></form></div>";
    var title = options.title || "Chat with us";
    var toggle = root.querySelector(".b"), panel = root.querySelector(".p");
    toggle.textContent = title;
    root.querySelector(".h").textContent = title;
    toggle.addEventListener("click", function () { panel.classList.toggle("o"); });
    var form = root.querySelector("form"), input = root.querySelector("textarea");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (input.value.trim()) { send(input.value); input.value = ""; }
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
    });
    (document.body || document.documentElement).appendChild(host);
    if (options.open === "true") panel.classList.add("o");
    return { host: host, panel: panel, list: root.querySelector(".l") };
  }

  function show(item, state, note) {
    item.el.dataset.state = state;
    item.el.querySelector("small").textContent = note;
  }

  function send(text) {
    var item = { client_id: newId(), text: String(text) };
    item.el = document.createElement("li");
    item.el.textContent = item.text;
    item.el.appendChild(document.createElement("small"));
    item.el.dataset.clientId = item.client_id;
    ui.list.appendChild(item.el);
    ui.list.scrollTop = ui.list.scrollHeight;
    show(item, "sending", "sending…");
    pending.push(item);
    flush();
    return item.client_id;
  }

  var shown = {};              // ids of the agents' replies on screen (a reply can arrive twice)
  function replied(frame) {
    if (!shown[frame.id]) {
      shown[frame.id] = true;
      var el = document.createElement("li");
      el.className = "a";
      el.textContent = String(frame.text);
      el.appendChild(document.createElement("small")).textContent = String(frame.author || "");
      el.dataset.replyId = frame.id;
      ui.list.appendChild(el);
      ui.list.scrollTop = ui.list.scrollHeight;
    }
    if (connected) socket.send(JSON.stringify({ type: "seen", id: frame.id }));
  }

  function acked(clientId, messageId) {
    for (var i = 0; i < pending.length; i++) {
      if (pending[i].client_id === clientId) {
        var item = pending.splice(i, 1)[0];
        item.el.dataset.messageId = messageId;
        show(item, "sent", "delivered");
        return;
      }
    }
  }

  function failed(clientId, detail) {
    for (var i = 0; i < pending.length; i++) {
      if (pending[i].client_id === clientId) { show(pending.splice(i, 1)[0], "failed", "not sent: " + detail); return; }
    }
  }

  function flush() {
    if (useRest) { restFlush(); return; }
    if (!connected) { connect(); return; }
    pending.forEach(function (item) {
      if (item.on === socket) return;  // sent on this socket already; its ack or error is on its way
      item.on = socket;
      socket.send(JSON.stringify({ type: "message", text: item.text, client_id: item.client_id }));
    });
  }

  function later(seconds) {
    clearTimeout(timer);
    timer = setTimeout(flush, Math.max(0.2, seconds) * 1000);
  }

  function connect() {
    if (socket || !window.WebSocket) { if (!window.WebSocket) { useRest = true; restFlush(); } return; }
    var url = base.replace(/^http/, "ws") + "/v1/chat/ws" +
      (session && session.resume_token ? "?resume=" + encodeURIComponent(session.resume_token) : "");
    var opened = false;
    socket = new WebSocket(url);
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "session") {
        opened = connected = true;
        failures = 0;
        save({ session_id: frame.session_id, resume_token: frame.resume_token });
        ui.host.dataset.sessionId = frame.session_id;
        if (identity) socket.send(JSON.stringify(identity));
        flush();
      } else if (frame.type === "reply") {
        replied(frame);
      } else if (frame.type === "ack") {
        acked(frame.client_id, frame.message_id);
      } else if (frame.type === "error" && frame.retry) {
        // A refused frame names its message, except when refused unread (rate-limited): then send every
        // unacked one again; the same client_id is the same message, so nothing is routed twice.
        pending.forEach(function (item) { if (!frame.client_id || item.client_id === frame.client_id) item.on = null; });
        later(frame.retry_after || 1);
      } else if (frame.type === "error" && frame.client_id) {
        failed(frame.client_id, frame.detail);
      }
    };
    socket.onclose = function () {
      socket = null;
      connected = false;
      clearInterval(ping);
      if (!opened && ++failures >= 3) { useRest = true; }
      // Reconnect while there is something to send, or a session whose agent may still reply.
      if (pending.length || !opened || session) later(Math.min(30, Math.pow(2, failures)));
    };
    clearInterval(ping);
    ping = setInterval(function () {
      if (connected) socket.send('{"type":"ping"}');
    }, 25000);
  }

  function rest(path, body) {
    return fetch(base + path, {
      method: "POST",
      headers: session ? { "Content-Type": "application/json", "X-Resume-Token": session.resume_token }
                       : { "Content-Type": "application/json" },
      body: JSON.stringify(body || {})
    });
  }

  var creating = null;
  function restSession() {
    if (session) return Promise.resolve(session);
    if (creating) return creating;
    creating = rest("/v1/chat/sessions").then(function (r) {
      if (!r.ok) throw new Error("session " + r.status);
      return r.json();
    }).then(function (s) {
      save({ session_id: s.session_id, resume_token: s.resume_token });
      ui.host.dataset.sessionId = s.session_id;
      if (identity) identified = restIdentify();
      return identified.then(function () { return session; });
    });
    creating.then(function () { creating = null; }, function () { creating = null; });
    return creating;
  }

  // Messages wait for the visitor's identify to be recorded, so the first one already reaches the contact.
  var identified = Promise.resolve();
  function restIdentify() {
    var body = { email: identity.email, phone: identity.phone, name: identity.name, signature: identity.signature };
    return rest("/v1/chat/sessions/" + encodeURIComponent(session.session_id) + "/identify", body)
      .catch(function () { /* the claim is lost with the network; messages still go */ });
  }

  var posting = false;
  function restFlush() {
    if (posting || !pending.length) return;
    posting = true;
    var item = pending[0];
    identified.then(restSession).then(function (s) {
      return rest("/v1/chat/sessions/" + encodeURIComponent(s.session_id) + "/messages",
                  { text: item.text, client_id: item.client_id });
    }).then(function (r) {
      posting = false;
      if (r.status === 202) return r.json().then(function (a) { acked(item.client_id, a.message_id); restFlush(); });
      if (r.status === 401) { session = null; return later(0.2); }
      if (r.status === 429 || r.status >= 500) return later(Number(r.headers.get("Retry-After")) || 2);
      return r.json().then(function (p) { failed(item.client_id, p.detail || r.status); restFlush(); });
    }, function () { posting = false; later(Math.min(30, Math.pow(2, ++failures))); });
  }

  window.SwitchboardChat = {
    send: send,
    identify: function (who) {
      identity = { type: "identify", email: who.email || undefined, phone: who.phone || undefined,
                   name: who.name || undefined, signature: who.signature || undefined };
      if (useRest) identified = restSession().then(restIdentify, function () { /* sent with the next session */ });
      else if (connected) socket.send(JSON.stringify(identity));
      else connect();
    },
    open: function () { ui.panel.classList.add("o"); },
    close: function () { ui.panel.classList.remove("o"); },
    state: function () {
      return { session_id: session && session.session_id, connected: connected, transport: useRest ? "rest" : "ws",
               pending: pending.length };
    }
  };
  if (session || options.open === "true") { if (useRest) { if (!session) restSession(); } else connect(); }
})();
