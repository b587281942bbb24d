import Link from "next/link";
import { classeBotao } from "../ui/botao";

/** The empty list: nothing matches the filters, or nothing is registered yet (then, what to register and how). */
export function SemProvedores({ filtrando }: { filtrando: boolean }) {
  if (filtrando) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600">
        Nenhum provedor corresponde aos filtros.
      </p>
    );
  }
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
      <h2 className="text-lg font-semibold">Nenhum provedor cadastrado ainda</h2>
      <p className="mx-auto mt-2 max-w-prose text-sm text-slate-600">
        Cadastre o servidor LLM que você roda — LM Studio (porta 1234), llama.cpp / llama-server (8080), Ollama (11434) ou qualquer servidor
        compatível com a API da OpenAI — para ver se está no ar, quais modelos ele tem e testar um prompt.
      </p>
      <Link href="/provedores-llm/novo" className={`mt-4 inline-block ${classeBotao()}`}>
        Cadastrar o primeiro provedor
      </Link>
    </div>
  );
}
