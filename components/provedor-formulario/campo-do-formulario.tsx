"use client";

import type { ComponentProps } from "react";
import { type FieldPath, useFormContext } from "react-hook-form";
import type { ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";
import { Campo } from "../ui/campo";

export type NomeCampo = FieldPath<ProvedorLLMCriarEntrada>;

/** A `Campo` of the provider form, showing the error the form holds for `nome` (from zod or from the server). */
export function CampoDoFormulario({ nome, ...props }: Omit<ComponentProps<typeof Campo>, "erro"> & { nome: NomeCampo }) {
  const { formState, getFieldState } = useFormContext<ProvedorLLMCriarEntrada>();
  return <Campo {...props} erro={getFieldState(nome, formState).error?.message} />;
}
