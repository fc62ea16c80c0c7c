// NestJS 12 ships as ES modules. Node 20 loads them natively (require(esm)), but Jest's
// module system does not before Node 24.9, so Jest compiles them to CommonJS here.
const { createHash } = require('node:crypto');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: false,
};

module.exports = {
  process(source, filename) {
    const withoutImportMeta = source
      // CommonJS already has a `require` that resolves from this file.
      .replace(/\bconst require = createRequire\(import\.meta\.url\);?/g, '')
      .replace(/import\.meta\.url/g, 'require("node:url").pathToFileURL(__filename).href');
    const { outputText } = ts.transpileModule(withoutImportMeta, { compilerOptions, fileName: filename });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha1').update('esm-to-cjs-2').update(ts.version).update(filename).update(source).digest('hex');
  },
};
