// fetch(), Response, Headers and AbortController over fetch/.

promise_test(async () => {
  const r = await fetch('data.json');
  assert_true(r instanceof Response);
  assert_equals(String(r), '[object Response]');
  assert_equals(r.status, 200);
  assert_true(r.ok);
  assert_equals(r.type, 'basic');
  assert_equals(r.url, location.origin + '/data.json');
  assert_false(r.redirected);
  assert_equals(r.headers.get('content-type'), 'application/json');
  assert_equals(r.headers.get('X-TEST'), 'yes', 'names are case-insensitive');
  assert_true(r.headers.has('x-test'));
  assert_false(r.bodyUsed);
  const json = await r.json();
  assert_true(r.bodyUsed);
  assert_equals(json.answer, 42);
}, 'fetch() and json()');

promise_test(async t => {
  const r = await fetch('data.json');
  const c = r.clone();
  assert_equals(await r.text(), await c.text(), 'both branches see the body');
  await promise_rejects_js(t, TypeError, r.text(), 'a used body');
  assert_throws_js(TypeError, () => r.clone(), 'clone of a used body');
}, 'clone() and a used body');

promise_test(async () => {
  const r = await fetch('simple.wasm');
  const buf = await r.arrayBuffer();
  assert_true(buf instanceof ArrayBuffer);
  assert_array_equals(Array.from(new Uint8Array(buf)), Array.from(wasmBytes('simple')));
}, 'arrayBuffer()');

promise_test(async () => {
  const r = await fetch('not-found.wasm');
  assert_equals(r.status, 404);
  assert_false(r.ok);
}, 'a 404 is a response, not an error');

promise_test(async t => {
  await promise_rejects_js(t, TypeError, fetch('http://127.0.0.1:1/nothing'), 'connection refused');
  await promise_rejects_js(t, TypeError, fetch('http://[bad'), 'invalid URL');
  await promise_rejects_js(t, TypeError, fetch(CROSS_ORIGIN + '/simple.wasm'), 'CORS');
  await promise_rejects_js(t, TypeError, fetch('redirect.wasm', {redirect: 'error'}), 'redirect: error');
}, 'network errors reject with TypeError');

promise_test(async () => {
  const r = await fetch(CROSS_ORIGIN + '/simple.wasm', {mode: 'no-cors'});
  assert_equals(r.type, 'opaque');
  assert_equals(r.status, 0);
  const cors = await fetch(CROSS_ORIGIN + '/cors/simple.wasm');
  assert_equals(cors.type, 'cors');
}, 'response types');

promise_test(async () => {
  const r = new Response('hello', {status: 201, statusText: 'Made', headers: {'X-A': '1'}});
  assert_equals(r.status, 201);
  assert_equals(r.statusText, 'Made');
  assert_equals(r.type, 'default');
  assert_equals(r.headers.get('x-a'), '1');
  assert_equals(r.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assert_equals(await r.text(), 'hello');
  const b = new Response(new Uint8Array([1, 2, 3]));
  assert_equals((await b.arrayBuffer()).byteLength, 3);
  assert_equals(await new Response().text(), '', 'null body');
  assert_throws_js(RangeError, () => new Response('', {status: 99}));
  assert_throws_js(TypeError, () => r.headers.set('x-a', '2'), 'response headers are immutable');
}, 'new Response()');

test(() => {
  const h = new Headers({'A': '1'});
  h.append('a', '2');
  h.append('B', '3');
  assert_equals(h.get('a'), '1, 2', 'values combined');
  assert_array_equals([...h].map(e => e.join('=')), ['a=1, 2', 'b=3'], 'sorted, lower-case');
  h.set('a', 'x');
  assert_equals(h.get('a'), 'x');
  h.delete('A');
  assert_false(h.has('a'));
  assert_equals(h.get('a'), null);
  assert_throws_js(TypeError, () => h.append('bad name', 'v'));
  assert_throws_js(TypeError, () => h.append('n', 'a\nb'));
  assert_equals(String(h), '[object Headers]');
}, 'Headers');

promise_test(async t => {
  const c = new AbortController();
  const s = c.signal;
  assert_false(s.aborted);
  let events = 0;
  s.addEventListener('abort', () => events++);
  c.abort();
  assert_true(s.aborted);
  assert_equals(s.reason.name, 'AbortError');
  assert_true(s.reason instanceof DOMException);
  assert_equals(events, 1);
  c.abort();
  assert_equals(events, 1, 'abort once');
  await promise_rejects_dom(t, 'AbortError', fetch('data.json', {signal: s}));
  assert_throws_js(TypeError, () => new AbortSignal());
}, 'AbortController');

promise_test(async t => {
  const c = new AbortController();
  const p = fetch('hang.wasm', {signal: c.signal});
  const r = await p;  // the headers arrived; the body hangs
  const body = r.arrayBuffer();
  c.abort();
  await promise_rejects_dom(t, 'AbortError', body, 'the body read is aborted');
}, 'abort while the body is streaming');

promise_test(async t => {
  const c = new AbortController();
  const reason = new Error('mine');
  c.abort(reason);
  await promise_rejects_exactly(t, reason, fetch('data.json', {signal: c.signal}));
}, 'abort(reason) rejects fetch with that reason');

promise_test(async () => {
  const e = Response.error();
  assert_equals(e.type, 'error');
  assert_equals(e.status, 0);
  assert_false(e.ok);
  const b = await new Response(new Uint8Array([7, 8])).bytes();
  assert_true(b instanceof Uint8Array);
  assert_array_equals(Array.from(b), [7, 8]);
  assert_equals(new TextDecoder().decode(new TextEncoder().encode('\u00e9\u4e2d')), '\u00e9\u4e2d', 'UTF-8 round trip');
}, 'Response.error(), bytes(), TextEncoder/TextDecoder');
