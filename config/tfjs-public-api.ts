// An esbuild plugin that lets a build inline tfjs-core's gradient definitions (which tfjs ships
// as loose ESM files to be bundled, see @tensorflow/tfjs-core/dist/register_all_gradients.js)
// without inlining tfjs-core itself: every import those files make of tfjs-core's internals is
// rewritten to the public `@tensorflow/tfjs-core` entry, which stays external. The engine, the
// tensor classes and the registries are then the user's one copy of tfjs-core.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

/** Matches a file inside tfjs-core's dist folder. */
const TFJS_CORE_DIST = /[\\/]@tensorflow[\\/]tfjs-core[\\/]dist[\\/].*\.js$/;

/**
 * tfjs-core's modules that hold state (the engine, the tensor classes, the kernel and gradient
 * registries, flags, platforms, backends, io handlers): never inlined. A gradient that needs a
 * name only they export fails the build instead. The rest (gradient definitions, the op
 * wrappers tfjs-core keeps private, pure helpers) is code that works on whatever engine and
 * tensors the public entry hands it.
 */
const STATEFUL =
  /^(engine|tensor|environment|global_util|globals|kernel_registry|flags|index|base|base_side_effects|tape|profiler|device_util)\.js$|^(platforms|backends|io)\//;

/** Internal names with a public equivalent that is not an export of the same name. */
const SUBSTITUTES: Record<string, (engine: string, tensor: string) => string> = {
  // The engine lives on a global: the public engine() returns that one engine.
  ENGINE: (engine) =>
    `new Proxy({}, { get(_, key) { const e = ${engine}(); const v = e[key]; return typeof v === 'function' ? v.bind(e) : v; } })`,
  // tfjs keeps the first-loaded Tensor class on a global; with one tfjs-core it is the public one.
  getGlobalTensorClass: (_engine, tensor) => `() => ${tensor}`,
};

/** Where the public entry offers a tfjs-core internal module as a namespace. */
function namespaceCandidates(moduleFile: string): string[] {
  return [basename(moduleFile, '.js'), 'backend_util'];
}

const PUBLIC = '@tensorflow/tfjs-core';

/** The plugin; `root` is the package folder whose tfjs-core is meant (its node_modules). */
export function tfjsCoreThroughPublicApi(root: string): Plugin {
  const require = createRequire(join(root, 'package.json'));
  // tfjs-core's Node build lists every public export (and the namespaces' members).
  const tf = require(PUBLIC) as Record<string, unknown>;
  const dist = join(dirname(require.resolve(`${PUBLIC}/package.json`)), 'dist');
  const isPublic = (name: string) => Object.hasOwn(tf, name);
  const namespaceWith = (moduleFile: string, members: string[]) =>
    namespaceCandidates(moduleFile).find((ns) => {
      const value = tf[ns];
      return (
        value !== null && typeof value === 'object' && members.every((m) => Object.hasOwn(value, m))
      );
    });

  return {
    name: 'tfjs-core-through-public-api',
    setup(build) {
      build.onLoad({ filter: TFJS_CORE_DIST }, (args) => {
        const file = relative(dist, args.path).split('\\').join('/');
        if (STATEFUL.test(file)) {
          return {
            errors: [
              {
                text: `tfjs-core's ${file} would be inlined: it must come from '${PUBLIC}' (one engine, one Tensor class)`,
              },
            ],
          };
        }
        const source = readFileSync(args.path, 'utf8');
        return {
          contents: rewriteImports(source, file, { isPublic, namespaceWith }),
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

interface PublicApi {
  isPublic(name: string): boolean;
  namespaceWith(moduleFile: string, members: string[]): string | undefined;
}

/**
 * Rewrites the relative imports of one tfjs-core file: names the public entry exports come from
 * it, names it only offers inside a namespace (backend_util.getAxesPermutation) are read from
 * the namespace, `ENGINE` becomes `engine()`, and what is left stays a relative import (the
 * inlinable op wrappers), rewritten in turn when esbuild loads it.
 */
export function rewriteImports(source: string, file: string, api: PublicApi): string {
  const header: string[] = [];
  let counter = 0;
  let body = source.replace(/^\/\/# sourceMappingURL=.*$/m, '');
  body = body.replace(
    /^import\s+([\s\S]*?)\s+from\s+'([^']+)';[ \t]*$/gm,
    (statement, clause: string, specifier: string) => {
      if (!specifier.startsWith('.')) {
        throw new Error(`tfjs-core's ${file} imports '${specifier}': not expected in a gradient`);
      }
      const target = `${relativeModule(file, specifier)}.js`;
      if (clause.startsWith('* as ')) {
        const local = clause.slice(5).trim();
        const members = [...body.matchAll(new RegExp(`\\b${local}\\.(\\w+)`, 'g'))].map(
          (m) => m[1] as string,
        );
        const ns = api.namespaceWith(target, members);
        return ns ? `import { ${ns} as ${local} } from '${PUBLIC}';` : statement;
      }
      const kept: string[] = [];
      const fromPublic: string[] = [];
      for (const part of clause.replace(/[{}]/g, '').split(',')) {
        const [name, alias = name] = part.trim().split(/\s+as\s+/) as [string, string?];
        if (!name) continue;
        const substitute = SUBSTITUTES[name];
        if (substitute) {
          const [engine, tensor] = [`__engine${counter}`, `__Tensor${counter}`];
          counter += 1;
          fromPublic.push(`engine as ${engine}`, `Tensor as ${tensor}`);
          header.push(`const ${alias} = ${substitute(engine, tensor)};`);
        } else if (api.isPublic(name)) {
          fromPublic.push(name === alias ? name : `${name} as ${alias}`);
        } else {
          const ns = api.namespaceWith(target, [name]);
          if (ns) {
            const local = `__ns${counter++}`;
            fromPublic.push(`${ns} as ${local}`);
            header.push(`const ${alias} = ${local}.${name};`);
          } else {
            kept.push(name === alias ? name : `${name} as ${alias}`);
          }
        }
      }
      const lines: string[] = [];
      if (fromPublic.length) lines.push(`import { ${fromPublic.join(', ')} } from '${PUBLIC}';`);
      if (kept.length) lines.push(`import { ${kept.join(', ')} } from '${specifier}';`);
      return lines.join('\n');
    },
  );
  // Imports are hoisted, so these run first, before any top-level use.
  return `${header.join('\n')}\n${body}`;
}

/** `../ops/mul` seen from `gradients/Abs_grad.js` is `ops/mul`. */
function relativeModule(file: string, specifier: string): string {
  return relative('/', resolve('/', dirname(file), specifier.replace(/\.js$/, ''))).replace(
    /\\/g,
    '/',
  );
}
