// Render every equation given as a JSON array of strings (on stdin, or in the file named
// by the first argument) with MathJax 3's TeX input, display mode, an error for any TeX
// MathJax does not know (an undefined macro is an error, not red text).
// Prints a JSON array with one entry per equation: null when it rendered, else the error.
"use strict";
const fs = require("fs");

const text = fs.readFileSync(process.argv[2] || 0, "utf8");
const equations = JSON.parse(text);

require("mathjax").init({
  loader: { load: ["input/tex", "output/svg", "[tex]/color"] },
  tex: {
    packages: { "[+]": ["color"], "[-]": ["noundefined", "noerrors"] },
    formatError: (jax, err) => { throw err; },
  },
}).then(async (MathJax) => {
  const errors = [];
  for (const tex of equations) {     // one at a time: a package MathJax autoloads is loaded once
    try {
      await MathJax.tex2svgPromise(tex, { display: true });
      errors.push(null);
    } catch (err) {
      errors.push(String(err.message || err));
    }
  }
  process.stdout.write(JSON.stringify(errors));
}).catch((err) => {
  process.stderr.write(String(err.stack || err));
  process.exit(1);
});
