// Render every equation given as a JSON array of strings (on stdin, or in the file
// named by the first argument) with KaTeX, throwOnError: true, in display mode.
// Prints a JSON array with one entry per equation: null when it rendered, else the error.
"use strict";
const fs = require("fs");
const katex = require("katex");

const text = fs.readFileSync(process.argv[2] || 0, "utf8");
const equations = JSON.parse(text);
const errors = equations.map((tex) => {
  try {
    katex.renderToString(tex, { displayMode: true, throwOnError: true, strict: "error" });
    return null;
  } catch (err) {
    return String(err.message || err);
  }
});
process.stdout.write(JSON.stringify(errors));
