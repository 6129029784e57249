import { describe, expect, it } from "vitest";
import { hostTool } from "./host-tools.js";

describe("host tools", () => {
  it("finds a tool whose check works", () => {
    const node = hostTool({
      name: "node",
      command: process.execPath,
      args: ["--version"],
      debianPackage: "nodejs",
    });
    expect(node).toEqual({ available: true, command: process.execPath, installed: false });
  });

  it("says in one line how to install a missing tool when it cannot install it", () => {
    const path = process.env.PATH;
    // Without apt-get on the PATH nothing can be installed, root or not.
    process.env.PATH = "/nonexistent";
    try {
      const missing = hostTool({
        name: "frobctl",
        command: "/nonexistent/frobctl",
        debianPackage: "frob-tools",
      });
      expect(missing).toEqual({
        available: false,
        reason: "frobctl not found (/nonexistent/frobctl); install it with: apt-get install frob-tools",
      });
    } finally {
      process.env.PATH = path;
    }
  });
});
