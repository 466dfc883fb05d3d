/**
 * Starts a worker thread on one of our modules, from the build (dist/*.js) or from the TypeScript
 * sources (tsx, tests): a worker does not inherit tsx's module hooks on Node 20, so then it registers
 * them before loading the module.
 * @module
 */
import { Worker } from 'node:worker_threads';

export function startModuleWorker(moduleUrl: string, workerData: unknown): Worker {
  if (moduleUrl.endsWith('.js')) return new Worker(new URL(moduleUrl), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const load = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl)}); })`;
  return new Worker(load, { eval: true, workerData });
}
