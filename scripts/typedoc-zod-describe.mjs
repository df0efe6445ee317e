// TypeDoc plugin: a field of a zod schema documents itself once, with .describe('...') (which
// also becomes the field's description in the generated JSON Schema, so editors show it). This
// copies that text into the API reference for members that have no doc comment of their own,
// so the text is written once and `validation.notDocumented` still holds. A field given by a
// variable (`data: dataSchema`, `mode,`) takes the variable's .describe(), or its doc comment;
// the members of a z.enum read as the options they are.
import { Comment, Converter, ReflectionKind } from 'typedoc';
import ts from 'typescript';

/** The text of a symbol's variable initializer's .describe(), else its doc comment. */
function symbolText(symbol, checker, seen) {
  let target = symbol;
  if (target && target.flags & ts.SymbolFlags.Alias) target = checker.getAliasedSymbol(target);
  if (!target || seen.has(target)) return undefined;
  seen.add(target);
  for (const declaration of target.declarations ?? []) {
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const text = describedText(declaration.initializer, checker, seen);
      if (text) return text;
    }
  }
  const doc = ts.displayPartsToString(target.getDocumentationComment(checker)).trim();
  return doc || undefined;
}

/** The string passed to .describe() (or .meta({ description })) in a call chain, or its root's. */
function describedText(node, checker, seen = new Set()) {
  let expression = node;
  while (expression) {
    if (ts.isCallExpression(expression)) {
      const callee = expression.expression;
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
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
    } else if (ts.isIdentifier(expression)) {
      return symbolText(checker.getSymbolAtLocation(expression), checker, seen);
    } else return undefined;
  }
  return undefined;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  // z.enum(['min', 'max']) is typed { min: 'min'; max: 'max' }: each member is its own value.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Property)) {
      const type = reflection.type;
      if (!reflection.comment && type?.type === 'literal' && type.value === reflection.name)
        reflection.comment = new Comment([
          { kind: 'text', text: `The option '${reflection.name}'.` },
        ]);
    }
  });
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (reflection.comment) return;
    const checker = context.checker;
    const symbol = context.getSymbolFromReflection(reflection);
    for (const declaration of symbol?.declarations ?? []) {
      let text;
      if (ts.isPropertyAssignment(declaration) || ts.isVariableDeclaration(declaration))
        text = declaration.initializer && describedText(declaration.initializer, checker);
      else if (ts.isShorthandPropertyAssignment(declaration))
        text = symbolText(
          checker.getShorthandAssignmentValueSymbol(declaration),
          checker,
          new Set(),
        );
      if (text) {
        reflection.comment = new Comment([{ kind: 'text', text }]);
        return;
      }
    }
  });
}
