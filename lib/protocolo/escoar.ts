import type { ServerResponse } from "node:http";

/** Waits until a full socket drains, or the client leaves; leaves no listener behind. */
export function escoar(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const fim = () => {
      res.off("drain", fim).off("close", fim);
      resolve();
    };
    res.on("drain", fim).on("close", fim);
  });
}
