import type { NextConfig } from "next";
import { CABECALHOS_SEGURANCA } from "./lib/seguranca/cabecalhos";

const nextConfig: NextConfig = {
  // The libSQL client loads a native binding: keep it out of the server bundle.
  serverExternalPackages: ["@libsql/client", "libsql"],
  // Pages API routes load packages from node_modules at run time, where `server-only` throws (it is empty only
  // under the react-server condition): bundled, it gets Next's server alias (empty) as in App Router code.
  transpilePackages: ["server-only"],
  poweredByHeader: false,
  // The seed documents paths with a trailing slash ("/api/provedores-llm/"): answer them, do not redirect.
  skipTrailingSlashRedirect: true,
  async rewrites() {
    return [
      // Browsers still ask for /favicon.ico when a page's icon link arrives late (a streamed 404 page does):
      // give them the app's icon rather than a 404.
      { source: "/favicon.ico", destination: "/icon.svg" },
    ];
  },
  async headers() {
    return [{ source: "/:caminho*", headers: Object.entries(CABECALHOS_SEGURANCA).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
