/**
 * `aws-local-stepfunctions` 3 calls `Promise.withResolvers` (ES2024, Node 22) for every Task
 * state. Node 20 lacks it, so it is installed here, before the library runs, unless the
 * runtime already has it. Import this module for its side effect only.
 */

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

if (typeof Reflect.get(Promise, 'withResolvers') !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor): Resolvers<T> {
      let resolve: Resolvers<T>['resolve'] = () => {};
      let reject: Resolvers<T>['reject'] = () => {};
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
