// The sign-in page: the link's token is in the fragment (never sent to a server by the browser); it is taken out of
// the address bar at once, traded once for a session cookie, and the console opens.
const status = document.getElementById('status');
const token = decodeURIComponent(location.hash.slice(1));
history.replaceState(null, '', location.pathname);

async function signIn() {
  if (!token) {
    status.textContent = 'This link carries no token. Run `mimi console` for a new one.';
    return;
  }
  const response = await fetch('/console/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (response.ok) {
    location.replace('/console/#/providers');
    return;
  }
  let detail = `HTTP ${response.status}`;
  try {
    detail = (await response.json()).detail ?? detail;
  } catch {
    // not a problem body; the status says enough
  }
  document.querySelector('h1').textContent = 'Sign-in failed';
  status.textContent = detail;
}

signIn().catch(e => { status.textContent = 'Sign-in failed: ' + e.message; });
