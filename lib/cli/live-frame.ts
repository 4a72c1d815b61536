/**
 * Where the console's live block (the lines a terminal redraws in place) makes itself known, so
 * that whoever writes to stderr erases it first: a signal's notice, written while the block is
 * drawn on the same terminal, would otherwise be drawn over, and the block left frozen above it.
 */
export interface LiveFrame {
  /** Registers the function that erases the live block; returns the function that unregisters it. */
  attach(clear: () => void): () => void;
  /** Erases the live block, when one is attached. Call it before writing to stderr. */
  clear(): void;
}

/**
 * A frame with nothing attached yet. `main` makes one, erases it before each stderr write, and
 * hands it to the run command through `CliIO.liveFrame`.
 *
 * const frame = createLiveFrame();
 * const detach = frame.attach(() => screen.clearLive());
 * frame.clear(); // screen.clearLive()
 * detach();
 * frame.clear(); // nothing
 */
export function createLiveFrame(): LiveFrame {
  let attached: (() => void) | undefined;
  return {
    attach(clear) {
      attached = clear;
      return () => {
        if (attached === clear) attached = undefined;
      };
    },
    clear() {
      attached?.();
    },
  };
}
