import type { Config } from "tailwindcss";

// The app's theme, loaded by app/globals.css with `@config`. Components use these names, so a status
// looks the same on every page and changes here in one place. Radii and spacing are Tailwind's defaults.
export default {
  theme: {
    extend: {
      colors: {
        // A provider's status badge: background, text and ring of each state.
        status: {
          online: { fundo: "#ecfdf5", texto: "#065f46", anel: "#6ee7b7" },
          carregando: { fundo: "#eff6ff", texto: "#1e40af", anel: "#93c5fd" },
          instavel: { fundo: "#fff7ed", texto: "#9a3412", anel: "#fdba74" },
          offline: { fundo: "#fef2f2", texto: "#991b1b", anel: "#fca5a5" },
          erro: { fundo: "#fffbeb", texto: "#92400e", anel: "#fcd34d" },
          desconhecido: { fundo: "#f1f5f9", texto: "#334155", anel: "#cbd5e1" },
        },
      },
      fontFamily: {
        sans: ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
      },
    },
  },
} satisfies Config;
