// Read every equation given as a JSON array of strings (on stdin, or in the file named by
// the first argument) with MathJax 3's TeX input, every extension loaded (none autoloaded),
// display mode, to MathML: an error for any TeX MathJax does not know (an undefined macro
// is an error, not red text). MathML, not SVG: the TeX is what is checked, at 2 ms a formula.
// Prints a JSON array with one entry per equation: null when it was read, else the error.
"use strict";
const fs = require("fs");

const text = fs.readFileSync(process.argv[2] || 0, "utf8");
const equations = JSON.parse(text);

require("mathjax").init({
  loader: { load: ["input/tex-full"] },
  tex: {
    // bussproofs needs an output jax; autoload and require would load what a formula asks.
    packages: { "[-]": ["noundefined", "noerrors", "autoload", "require", "bussproofs"] },
    formatError: (jax, err) => { throw err; },
  },
}).then((MathJax) => {
  const errors = equations.map((tex) => {
    try {
      MathJax.tex2mml(tex, { display: true });
      return null;
    } catch (err) {
      return String(err.message || err);
    }
  });
  process.stdout.write(JSON.stringify(errors));
}).catch((err) => {
  process.stderr.write(String(err.stack || err));
  process.exit(1);
});
