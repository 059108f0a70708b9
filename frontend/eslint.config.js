// @ts-check
// ESLint looks up the nearest config from each file, so this one extends the repository's config with the
// React hook rules that only apply here.
import reactHooks from "eslint-plugin-react-hooks";
import root from "../eslint.config.js";

export default [
  ...root,
  {
    files: ["app/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
];
