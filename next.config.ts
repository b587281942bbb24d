import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The libSQL client loads a native binding: keep it out of the server bundle.
  serverExternalPackages: ["@libsql/client", "libsql"],
  poweredByHeader: false,
  // The seed documents paths with a trailing slash ("/api/provedores-llm/"): answer them, do not redirect.
  skipTrailingSlashRedirect: true,
};

export default nextConfig;
