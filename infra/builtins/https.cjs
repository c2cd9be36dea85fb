// node:https for the bundles, taken as CommonJS (see BUILTIN_ALIASES in infra/bundling.ts).
module.exports = process.getBuiltinModule('node:https');
