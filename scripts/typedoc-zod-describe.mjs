// TypeDoc plugin: a field of a zod schema documents itself once, with .describe('...') (which
// also becomes the field's description in the generated JSON Schema, so editors show it). This
// copies that text into the API reference for members that have no doc comment of their own,
// so the text is written once and `validation.notDocumented` still holds.
import { Comment, Converter } from 'typedoc';
import ts from 'typescript';

/** The string passed to .describe() (or .meta({ description })) anywhere in a call chain. */
function describedText(node) {
  let expression = node;
  while (expression && ts.isCallExpression(expression)) {
    const callee = expression.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const [arg] = expression.arguments;
      if (callee.name.text === 'describe' && arg && ts.isStringLiteralLike(arg)) return arg.text;
      if (callee.name.text === 'meta' && arg && ts.isObjectLiteralExpression(arg)) {
        for (const p of arg.properties)
          if (
            ts.isPropertyAssignment(p) &&
            p.name.getText() === 'description' &&
            ts.isStringLiteralLike(p.initializer)
          )
            return p.initializer.text;
      }
      expression = callee.expression;
    } else break;
  }
  return undefined;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (reflection.comment) return;
    const symbol = context.getSymbolFromReflection(reflection);
    for (const declaration of symbol?.declarations ?? []) {
      const initializer =
        ts.isPropertyAssignment(declaration) || ts.isVariableDeclaration(declaration)
          ? declaration.initializer
          : undefined;
      const text = initializer && describedText(initializer);
      if (text) {
        reflection.comment = new Comment([{ kind: 'text', text }]);
        return;
      }
    }
  });
}
