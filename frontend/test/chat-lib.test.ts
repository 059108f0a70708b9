import { expect } from "chai";
import { ChatError, parseRetryAfter } from "../app/chat/api";
import {
  conversationsReducer,
  sortByRecent,
  titleFrom,
  type ConversationsState,
} from "../app/chat/conversations";
import { budgetNote, budgetReducer, nextUtcMidnight, type Budget } from "../app/chat/budget";
import { describeError } from "../app/chat/describe-error";
import { parseEventStream } from "../app/chat/sse";
import { conversationsKeyFor, loadConversations, saveConversations } from "../app/chat/storage";
import type { Conversation } from "../app/chat/types";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const events = [];
  for await (const event of parseEventStream(streamOf(chunks))) events.push(event);
  return events;
}

describe("browser chat library", () => {
  describe("parseEventStream", () => {
    it("parses events split across chunks, skipping heartbeat comments", async () => {
      const events = await collect([
        'event: meta\ndata: {"model":"m"}\n\n: heartbeat\n\nevent: del',
        'ta\ndata: {"text":"Hi"}\r\n\r',
        '\nevent: done\ndata: {"finishReason":"stop"}\n\n',
      ]);
      expect(events).to.deep.equal([
        { event: "meta", data: '{"model":"m"}' },
        { event: "delta", data: '{"text":"Hi"}' },
        { event: "done", data: '{"finishReason":"stop"}' },
      ]);
    });

    it("joins multi-line data and defaults the event name to message", async () => {
      expect(await collect(["data: a\ndata: b\n\n"])).to.deep.equal([{ event: "message", data: "a\nb" }]);
    });

    it("decodes multi-byte characters split between chunks", async () => {
      const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"é✓"}\n\n');
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
          controller.close();
        },
      });
      const events = [];
      for await (const event of parseEventStream(stream)) events.push(event);
      expect(events).to.deep.equal([{ event: "delta", data: '{"text":"é✓"}' }]);
    });
  });

  describe("describeError", () => {
    const BACKEND_CODES = [
      "backend_unreachable",
      "invalid_request",
      "invalid_json",
      "not_found",
      "payload_too_large",
      "unsupported_media_type",
      "budget_exceeded",
      "spend_cap_reached",
      "budget_unavailable",
      "not_signed_in",
      "openai_key_missing",
      "openai_key_rejected",
      "upstream_rate_limited",
      "upstream_timeout",
      "upstream_error",
      "secret_unavailable",
      "shutting_down",
      "internal_error",
    ];
    for (const code of BACKEND_CODES) {
      it(`explains ${code}`, () => {
        const described = describeError(new ChatError(code, "raw message"));
        expect(described.title).to.not.equal("Something went wrong");
        expect(described.detail).to.be.a("string").and.not.equal("");
      });
    }

    it("shows the wait time for rate limits and for a used-up budget", () => {
      const upstream = describeError(new ChatError("upstream_rate_limited", "x", { retryAfterSeconds: 12 }));
      expect(upstream.detail).to.include("12 seconds");
      expect(upstream.retryAfterSeconds).to.equal(12);
      expect(
        describeError(new ChatError("upstream_rate_limited", "x", { retryAfterSeconds: 90 })).detail,
      ).to.include("2 minutes");
      const budget = describeError(new ChatError("budget_exceeded", "x", { retryAfterSeconds: 7 * 3600 }));
      expect(budget.detail).to.include("in 7 hours");
      // No countdown on Retry for a wait of hours: the budget banner explains it instead.
      expect(budget.retryAfterSeconds).to.equal(undefined);
    });

    it("tells the operator how to set the key", () => {
      const missing = describeError(new ChatError("openai_key_missing", "x"));
      expect(missing.operatorHint).to.equal("npm run secret:set -- --env <env>");
      expect(missing.detail).to.include("OPENAI_BASE_URL");
      expect(describeError(new ChatError("openai_key_rejected", "x")).operatorHint).to.include("secret:set");
    });
  });

  it("parseRetryAfter reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("7")).to.equal(7);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 1_000)).to.equal(60);
    expect(parseRetryAfter("soon")).to.equal(undefined);
    expect(parseRetryAfter(null)).to.equal(undefined);
  });

  describe("conversations", () => {
    const conversation = (id: string, updatedAt: number): Conversation => ({
      id,
      title: "New chat",
      titleEdited: false,
      createdAt: 0,
      updatedAt,
      messages: [],
    });

    it("titles a conversation from its first message, cut at a word", () => {
      expect(titleFrom("  Hello\n  world ")).to.equal("Hello world");
      const long = titleFrom("Explain the difference between Fargate and EC2 launch types in detail please");
      expect(long.endsWith("…")).to.equal(true);
      expect(long.length).to.be.at.most(49);
    });

    it("creates, titles, renames, sorts and removes", () => {
      let state: ConversationsState = { conversations: [], activeId: null };
      state = conversationsReducer(state, { type: "create", conversation: conversation("a", 1) });
      state = conversationsReducer(state, { type: "create", conversation: conversation("b", 2) });
      expect(state.activeId).to.equal("b");
      state = conversationsReducer(state, {
        type: "setMessages",
        id: "a",
        now: 3,
        messages: [{ id: "m", role: "user", content: "First question", createdAt: 3 }],
      });
      expect(state.conversations.find((c) => c.id === "a")!.title).to.equal("First question");
      expect(sortByRecent(state.conversations).map((c) => c.id)).to.deep.equal(["a", "b"]);
      state = conversationsReducer(state, { type: "rename", id: "a", title: "  Mine  " });
      state = conversationsReducer(state, { type: "setMessages", id: "a", now: 4, messages: [] });
      expect(state.conversations.find((c) => c.id === "a")!.title).to.equal("Mine");
      expect(conversationsReducer(state, { type: "rename", id: "a", title: "  " })).to.equal(state);
      state = conversationsReducer(state, { type: "remove", id: "b" });
      expect(state.activeId).to.equal(null);
      expect(state.conversations.map((c) => c.id)).to.deep.equal(["a"]);
    });

    it("round-trips through storage and drops malformed entries", () => {
      const data = new Map<string, string>();
      const storage = {
        getItem: (k: string) => data.get(k) ?? null,
        setItem: (k: string, v: string) => void data.set(k, v),
      } as Storage;
      expect(saveConversations([conversation("a", 1)], storage)).to.equal(true);
      expect(loadConversations(storage).map((c) => c.id)).to.deep.equal(["a"]);
      data.set("fargate-ai-stack.conversations.v1", JSON.stringify([{ id: 1 }, conversation("b", 2)]));
      expect(loadConversations(storage).map((c) => c.id)).to.deep.equal(["b"]);
      data.set("fargate-ai-stack.conversations.v1", "{not json");
      expect(loadConversations(storage)).to.deep.equal([]);
      const full = {
        setItem: () => {
          throw new Error("QuotaExceededError");
        },
      } as unknown as Storage;
      expect(saveConversations([], full)).to.equal(false);
    });

    it("keeps each account's conversations apart", () => {
      const data = new Map<string, string>();
      const storage = {
        getItem: (k: string) => data.get(k) ?? null,
        setItem: (k: string, v: string) => void data.set(k, v),
      } as Storage;
      const ada = conversationsKeyFor("Ada@Example.com");
      expect(ada).to.equal("fargate-ai-stack.conversations.v1:ada@example.com");
      saveConversations([conversation("a", 1)], storage, ada);
      saveConversations([conversation("b", 1)], storage, conversationsKeyFor("bob@example.com"));
      expect(
        loadConversations(storage, conversationsKeyFor("ada@example.com")).map((c) => c.id),
      ).to.deep.equal(["a"]);
      expect(
        loadConversations(storage, conversationsKeyFor("bob@example.com")).map((c) => c.id),
      ).to.deep.equal(["b"]);
    });
  });

  describe("the budget", () => {
    const NOW = Date.parse("2026-12-02T16:00:00.000Z");
    const RESET = "2026-12-03T00:00:00.000Z";
    const loaded = (user: object, capReached = false): Budget =>
      budgetReducer({}, { type: "loaded", body: { user, environment: { capReached } } });

    it("reads GET /api/budget", () => {
      expect(loaded({ limit: 4000, used: 1000, remaining: 3000, resetsAt: RESET })).to.deep.equal({
        limit: 4000,
        remaining: 3000,
        resetsAt: Date.parse(RESET),
        blocked: undefined,
      });
      expect(loaded({ limit: 4000, used: 4000, remaining: 0, resetsAt: RESET }).blocked).to.equal(
        "budget_exceeded",
      );
      expect(loaded({ limit: 4000, remaining: 3000, resetsAt: RESET }, true).blocked).to.equal(
        "spend_cap_reached",
      );
      expect(budgetReducer({}, { type: "loaded", body: "nonsense" })).to.deep.equal({
        limit: undefined,
        remaining: undefined,
        resetsAt: undefined,
        blocked: undefined,
      });
    });

    it("follows each reply's done event and blocks on a refusal until the reset", () => {
      const start = loaded({ limit: 4000, remaining: 3000, resetsAt: RESET });
      const after = budgetReducer(start, { type: "reply", budget: { remaining: 2500, resetsAt: RESET } });
      expect(after.remaining).to.equal(2500);
      expect(budgetReducer(after, { type: "reply", budget: undefined })).to.equal(after);
      const refused = budgetReducer(after, {
        type: "refused",
        code: "budget_exceeded",
        retryAfterSeconds: 3600,
        now: NOW,
      });
      expect(refused).to.include({ blocked: "budget_exceeded", resetsAt: NOW + 3600_000 });
      const capped = budgetReducer({}, { type: "refused", code: "spend_cap_reached", now: NOW });
      expect(capped).to.include({ blocked: "spend_cap_reached", resetsAt: Date.parse(RESET) });
      expect(nextUtcMidnight(NOW)).to.equal(Date.parse(RESET));
    });

    it("says what is left, or why nothing can be sent", () => {
      expect(budgetNote({})).to.equal("");
      expect(budgetNote(loaded({ limit: 200000, remaining: 198500, resetsAt: RESET }))).to.equal(
        "198,500 of 200,000 tokens left today.",
      );
      const blocked = budgetNote({ blocked: "budget_exceeded", resetsAt: NOW + 2 * 3600_000 }, NOW);
      expect(blocked).to.match(/^Today's budget is used up\. It resets at .+ \(in 2 hours\)\.$/);
      expect(budgetNote({ blocked: "spend_cap_reached" }, NOW)).to.equal(
        "The chat is paused: the daily spending cap is reached.",
      );
    });
  });
});
