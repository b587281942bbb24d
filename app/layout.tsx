import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ProvedorDeAvisos } from "@/components/toast";
import { autenticacaoLigada } from "@/lib/seguranca/autenticacao";
import { sairAcao } from "./login/actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Provedores LLM", template: "%s · Provedores LLM" },
  description: "Cadastre e acompanhe seus servidores LLM locais: LM Studio, llama.cpp, Ollama e compatíveis com OpenAI.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page is rendered per request: the CSP nonce (proxy.ts) is new each time and Next puts it on its scripts.
export const dynamic = "force-dynamic";

/** The header's links, in the order a visit goes: the overview, the servers, their models and use, then access. */
const LINKS = [
  ["/painel", "Painel"],
  ["/provedores-llm", "Provedores"],
  ["/modelos", "Modelos"],
  ["/estatisticas", "Estatísticas"],
  ["/desempenho", "Desempenho"],
  ["/provedores-llm/api", "Usar pela API"],
  ["/provedores-llm/novo", "Novo provedor"],
  ["/chaves", "Chaves de acesso"],
] as const;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="pt-BR">
      <body className="min-h-screen">
        <a
          href="#conteudo"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Pular para o conteúdo
        </a>
        <ProvedorDeAvisos>
          <header className="border-b border-slate-200 bg-white">
            <nav className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-5 gap-y-2 px-4 py-3" aria-label="Principal">
              <Link href="/painel" className="text-base font-semibold text-slate-900">
                Provedores LLM
              </Link>
              <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
                {LINKS.map(([href, rotulo]) => (
                  <li key={href}>
                    <Link href={href} className="text-slate-700 hover:text-slate-900">
                      {rotulo}
                    </Link>
                  </li>
                ))}
              </ul>
              {autenticacaoLigada() ? (
                <form action={sairAcao} className="ml-auto">
                  <button type="submit" className="text-sm text-slate-600 hover:text-slate-900">
                    Sair
                  </button>
                </form>
              ) : null}
            </nav>
          </header>
          <main id="conteudo" className="mx-auto max-w-5xl px-4 py-6">
            {children}
          </main>
        </ProvedorDeAvisos>
      </body>
    </html>
  );
}
