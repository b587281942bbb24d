import { afterEach, describe, expect, it, vi } from "vitest";
import { urlBancoParaLog } from "@/db/client";
import { problemasDeConfiguracao } from "@/lib/config";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the database URL as the start-up lines show it", () => {
  it.each([
    ["libsql://u:pass@h:8080/db?authToken=t", "libsql://h:8080/db"],
    // `new URL` refuses these (a port out of range, a space in the host): the fallback still drops the credentials.
    ["libsql://u:pass@h:99999", "libsql://h:99999"],
    ["https://admin:s3nha@meu host:8080/x?authToken=t", "https://meu host:8080/x"],
    ["libsql://u:p/a@ss@h:99999/db", "libsql://h:99999/db"],
    ["file:/tmp/dados.db?mode=ro", "file:/tmp/dados.db"],
  ])("%s → %s", (url, visivel) => {
    expect(urlBancoParaLog(url)).toBe(visivel);
  });

  it("an unsupported scheme is refused without printing its password", () => {
    vi.stubEnv("DATABASE_URL", "postgres://u:pass@h:5432/db?sslmode=require");
    const problemas = problemasDeConfiguracao({} as NodeJS.ProcessEnv);
    expect(problemas).toHaveLength(1);
    expect(problemas[0]).toContain('DATABASE_URL "postgres://h:5432/db" não é suportada');
    expect(problemas[0]).not.toContain("pass");
  });
});
