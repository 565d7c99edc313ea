// `node --import` this to have every module a process loads named on stderr, one a line.
import { register } from 'node:module';

const hooks = `export async function load(url, context, next) {
  if (url.startsWith('file:')) process.stderr.write('module-loaded ' + url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
