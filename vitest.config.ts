import path from "node:path";
import { defineConfig } from "vitest/config";

const raiz = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      "@": raiz,
      // lib/ marks its modules server-only for Next; in tests they run in plain Node.
      "server-only": path.join(raiz, "tests/support/vazio.ts"),
    },
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 90_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integracao-arquivo",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/support/setup-arquivo.ts"],
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "integracao-sqld",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/support/setup-sqld.ts"],
          fileParallelism: false,
        },
      },
    ],
  },
});
