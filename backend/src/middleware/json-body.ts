// JSON bodies only, bounded in size. The Content-Type check comes first so a wrong type is a
// 415 even when the body would not parse.

import express, { type RequestHandler } from "express";
import { AppError } from "../errors.js";

export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (req.is("application/json")) {
      next();
      return;
    }
    next(new AppError("unsupported_media_type", "Content-Type must be application/json"));
  };
  return [requireJson, express.json({ limit: limitBytes, strict: true, type: "application/json" })];
}
