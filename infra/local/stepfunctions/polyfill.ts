// aws-local-stepfunctions 3 declares node >= 22 and calls Promise.withResolvers in every
// Task (measured: on Node 20 every Task fails with "Promise.withResolvers is not a function").
// Import this module before the engine is used.
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}
type WithResolvers = <T>() => Resolvers<T>;

const promiseCtor = Promise as unknown as { withResolvers?: WithResolvers };

if (typeof promiseCtor.withResolvers !== 'function') {
  promiseCtor.withResolvers = function withResolvers<T>(): Resolvers<T> {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export {};
