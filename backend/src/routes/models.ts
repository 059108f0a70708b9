// The models a client may ask for, and the one used when it does not say.

import type { RequestHandler } from "express";
import type { OpenAIConfig } from "../config.js";

export function modelsHandler(openai: OpenAIConfig): RequestHandler {
  const body = { models: openai.models, default: openai.defaultModel };
  return (_req, res) => {
    res.json(body);
  };
}
