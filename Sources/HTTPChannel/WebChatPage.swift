/// The demo chat page `parley serve` serves at `/chat`: plain HTML and JavaScript, nothing fetched from elsewhere.
///
/// The caller's secret is typed into the page, or given after `#token=` in the address (a fragment never reaches a
/// server or its logs); it stays in the tab's session storage. Events arrive over `fetch` rather than `EventSource`,
/// which cannot send an `Authorization` header. Everything shown is set as text, never as HTML.
enum WebChatPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Parley chat</title>
        <style>
          body { font: 15px/1.4 system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
          header { padding: 8px 12px; background: #234; color: #fff; display: flex; gap: 8px; align-items: center; }
          header input { width: 9em; }
          #log { flex: 1; overflow-y: auto; padding: 12px; }
          .message { margin: 6px 0; padding: 6px 10px; border-radius: 8px; max-width: 70%; white-space: pre-wrap; }
          .user { background: #def; margin-left: auto; }
          .bot { background: #eee; }
          .notice { color: #a33; font-style: italic; }
          form#composer { display: flex; gap: 8px; padding: 8px 12px; border-top: 1px solid #ccc; }
          #text { flex: 1; }
        </style>
        </head>
        <body>
        <header>
          <strong>Parley</strong>
          <label>User <input id="user" value="guest" autocomplete="off"></label>
          <label>Secret <input id="token" type="password" autocomplete="off"></label>
          <span id="status"></span>
        </header>
        <div id="log" aria-live="polite"></div>
        <form id="composer">
          <input id="text" autocomplete="off" placeholder="Type a message" autofocus>
          <button id="send" type="submit">Send</button>
        </form>
        <script>
        "use strict";
        const log = document.getElementById("log");
        const userField = document.getElementById("user");
        const tokenField = document.getElementById("token");
        const statusLine = document.getElementById("status");
        const fromFragment = new URLSearchParams(location.hash.slice(1));
        if (fromFragment.get("token")) {
          sessionStorage.setItem("parley.token", fromFragment.get("token"));
          history.replaceState(null, "", location.pathname + location.search);
        }
        if (fromFragment.get("user")) userField.value = fromFragment.get("user");
        tokenField.value = sessionStorage.getItem("parley.token") || "";
        tokenField.addEventListener("change", () => { sessionStorage.setItem("parley.token", tokenField.value); listen(); });
        userField.addEventListener("change", () => listen());

        function headers() {
          return { "Authorization": "Bearer " + tokenField.value, "Content-Type": "application/json" };
        }
        function base() { return "/v1/users/" + encodeURIComponent(userField.value.trim()); }
        function newKey() {
          if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
          return Date.now().toString(36) + Math.random().toString(36).slice(2);
        }
        function show(text, who) {
          const line = document.createElement("div");
          line.className = "message " + who;
          line.textContent = text;
          log.appendChild(line);
          log.scrollTop = log.scrollHeight;
          return line;
        }
        function showMessages(messages) {
          for (const message of messages) {
            const line = show(message.text, "bot");
            if (message.authorizationUrl && /^https?:\/\//.test(message.authorizationUrl)) {
              line.textContent = message.text.replace(message.authorizationUrl, "").trim() + " ";
              const link = document.createElement("a");
              link.href = message.authorizationUrl;
              link.target = "_blank";
              link.rel = "noopener";
              link.className = "authorization";
              link.textContent = message.authorizationUrl;
              line.appendChild(link);
            }
          }
        }
        async function problem(response) {
          try { return (await response.json()).error.message; } catch (e) { return "HTTP " + response.status; }
        }

        document.getElementById("composer").addEventListener("submit", async (event) => {
          event.preventDefault();
          const field = document.getElementById("text");
          const text = field.value.trim();
          if (!text) return;
          field.value = "";
          show(text, "user");
          const key = newKey();
          for (let attempt = 0; attempt < 3; attempt++) {
            try {
              const response = await fetch(base() + "/messages", {
                method: "POST", headers: Object.assign(headers(), { "Idempotency-Key": key }), body: JSON.stringify({ text })
              });
              if (!response.ok) { show(await problem(response), "notice"); return; }
              showMessages((await response.json()).messages);
              return;
            } catch (error) {
              // The same key again: the server runs the turn at most once.
              await new Promise((resolve) => setTimeout(resolve, 500));
            }
          }
          show("The server did not answer.", "notice");
        });

        let listening = null;
        async function listen() {
          if (listening) listening.abort();
          const controller = new AbortController();
          listening = controller;
          let cursor = 0;
          while (!controller.signal.aborted) {
            if (!tokenField.value) { statusLine.textContent = "enter the secret"; return; }
            try {
              const response = await fetch(base() + "/stream?after=" + cursor, { headers: headers(), signal: controller.signal });
              if (!response.ok) { statusLine.textContent = await problem(response); return; }
              statusLine.textContent = "connected";
              const reader = response.body.getReader();
              const decoder = new TextDecoder();
              let buffered = "";
              while (true) {
                const { value, done } = await reader.read();
                if (done) break;
                buffered += decoder.decode(value, { stream: true });
                let end;
                while ((end = buffered.indexOf("\n\n")) >= 0) {
                  const block = buffered.slice(0, end);
                  buffered = buffered.slice(end + 2);
                  const data = block.split("\n").filter((line) => line.startsWith("data: ")).map((line) => line.slice(6)).join("\n");
                  if (!data) continue;
                  const event = JSON.parse(data);
                  showMessages(event.messages);
                  cursor = event.id;
                  await fetch(base() + "/events/ack", { method: "POST", headers: headers(), body: JSON.stringify({ upTo: event.id }) });
                }
              }
            } catch (error) {
              if (controller.signal.aborted) return;
            }
            statusLine.textContent = "reconnecting";
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }
        listen();
        </script>
        </body>
        </html>
        """#
}
