// Ctrl-C as an injectable event source: the process's SIGINT in the CLI, a plain function in tests.
export type InterruptSource = (handler: () => void) => () => void;

export const processInterrupts: InterruptSource = (handler) => {
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGINT', handler);
  };
};
