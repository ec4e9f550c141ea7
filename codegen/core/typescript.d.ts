// Types of typescript.js: ts-morph's `ts` (value and namespace).
export { ts } from "ts-morph";
