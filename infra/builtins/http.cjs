// node:http for the bundles, taken as CommonJS (see BUILTIN_ALIASES in infra/bundling.ts).
module.exports = process.getBuiltinModule('node:http');
