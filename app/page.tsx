import { redirect } from "next/navigation";

export default function Inicio() {
  redirect("/painel");
}
