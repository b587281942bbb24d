"use client";

import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

type Aviso = { id: number; texto: string; tipo: "sucesso" | "erro" };
type MostrarAviso = (texto: string, tipo?: Aviso["tipo"]) => void;

const ContextoAviso = createContext<MostrarAviso>(() => {});

/** Lives in the root layout, so a toast survives the navigation that follows a save. */
export function ProvedorDeAvisos({ children }: { children: ReactNode }) {
  const [avisos, setAvisos] = useState<Aviso[]>([]);
  const mostrar = useCallback<MostrarAviso>((texto, tipo = "sucesso") => {
    const id = Date.now() + Math.random();
    setAvisos((atuais) => [...atuais, { id, texto, tipo }]);
    setTimeout(() => setAvisos((atuais) => atuais.filter((a) => a.id !== id)), 5000);
  }, []);
  return (
    <ContextoAviso.Provider value={mostrar}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4">
        {avisos.map((a) => (
          <div
            key={a.id}
            role={a.tipo === "erro" ? "alert" : "status"}
            className={`pointer-events-auto w-full max-w-md rounded-lg px-4 py-3 text-sm shadow-lg ${
              a.tipo === "erro" ? "bg-red-700 text-white" : "bg-emerald-700 text-white"
            }`}
          >
            {a.texto}
          </div>
        ))}
      </div>
    </ContextoAviso.Provider>
  );
}

export function useAviso(): MostrarAviso {
  return useContext(ContextoAviso);
}
