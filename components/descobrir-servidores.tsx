"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { criarProvedorAcao } from "@/app/provedores-llm/actions";
import type { DescobertaServidores, ServidorEncontrado } from "@/lib/schemas/llm";
import { ROTULO_TIPO } from "./rotulos";
import { useAviso } from "./toast";
import { Botao } from "./ui/botao";
import { useAcaoServidor } from "./ui/use-acao-servidor";

/** "Procurar servidores nesta máquina": probes the default ports on request, offers to register what it finds. */
export function DescobrirServidores() {
  const [resultado, setResultado] = useState<DescobertaServidores | null>(null);
  const [procurando, setProcurando] = useState(false);
  const router = useRouter();
  const avisar = useAviso();

  const procurar = async () => {
    setProcurando(true);
    try {
      const r = await fetch("/api/provedores-llm/descobrir");
      const corpo = (await r.json()) as DescobertaServidores & { erro?: { mensagem: string } };
      if (!r.ok) return avisar(corpo.erro?.mensagem ?? "Não foi possível procurar servidores.", "erro");
      setResultado(corpo);
    } catch {
      avisar("Não foi possível procurar servidores.", "erro");
    } finally {
      setProcurando(false);
    }
  };

  const cadastro = useAcaoServidor(criarProvedorAcao, {
    aoConcluir: (p, pedido) => {
      avisar(`Provedor "${p.nome}" cadastrado.`);
      const cadastrado = (s: ServidorEncontrado) => s.base_url === pedido.base_url;
      setResultado(
        (atual) => atual && { ...atual, servidores: atual.servidores.map((x) => (cadastrado(x) ? { ...x, cadastrado: true } : x)) },
      );
      router.refresh();
    },
  });
  // The one being registered shows it; the others wait (the hook takes one call at a time).
  const [cadastrando, setCadastrando] = useState<string | null>(null);
  const cadastrar = async (s: ServidorEncontrado) => {
    setCadastrando(s.base_url);
    await cadastro.executar({ nome: s.nome_sugerido, tipo: s.tipo, base_url: s.base_url });
    setCadastrando(null);
  };

  const novos = resultado?.servidores.filter((s) => !s.cadastrado) ?? [];
  return (
    <section aria-label="Procurar servidores" className="space-y-2">
      <Botao variante="secundario" tamanho="medio" onClick={procurar} pendente={procurando} textoPendente="Procurando…">
        Procurar servidores nesta máquina
      </Botao>
      {resultado && !novos.length ? (
        <p role="status" className="text-sm text-slate-600">
          Nenhum servidor novo nas portas {resultado.portas.join(", ")} desta máquina.
        </p>
      ) : null}
      {novos.length ? (
        <ul className="space-y-2">
          {novos.map((s) => (
            <li key={s.base_url} className="flex flex-wrap items-center gap-2 rounded-md bg-sky-50 p-3 text-sm text-sky-950">
              <span>
                Encontramos um {ROTULO_TIPO[s.tipo]} em <code>{s.base_url.replace("://127.0.0.1", "://localhost")}</code>
                {s.versao ? ` (versão ${s.versao})` : ""} — cadastrar?
              </span>
              <Botao
                tamanho="compacto"
                onClick={() => cadastrar(s)}
                pendente={cadastro.pendente && cadastrando === s.base_url}
                textoPendente="Cadastrando…"
                disabled={cadastro.pendente}
                aria-label={`Cadastrar ${s.nome_sugerido}`}
              >
                Cadastrar
              </Botao>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
