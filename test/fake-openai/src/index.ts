// Public entry point of @fargate-ai-stack/fake-openai.
export { startFakeOpenAI } from "./server.js";
export type { FakeOpenAI, FakeOpenAIOptions, FakeOpenAIState, RecordedRequest } from "./server.js";
export type { Scenario } from "./scenario.js";
export { parseScenario } from "./scenario.js";
