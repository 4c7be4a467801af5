// Runs after testharness.js and before a test file: the runner
// (js_api_test.cc) calls done() after the file, and reads one line per
// result and one at the end, each starting with \u0001.
setup({explicit_done: true});
add_result_callback(t => {
  console.log('\u0001RESULT ' + JSON.stringify({name: t.name, status: t.status, message: t.message}));
});
add_completion_callback((tests, status) => {
  console.log('\u0001DONE ' + JSON.stringify({status: status.status, message: status.message}));
});
