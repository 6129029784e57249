/** A plugin module for the `--import` test: registers one function on the global registry when imported. */
import { defineFunction, looseString, register } from "@quiesce/functions";
import { z } from "zod";

register(
  defineFunction({
    name: "CliTestFlush",
    args: z.object({ pod: looseString() }),
    async exec() {
      return {};
    },
  }),
);
