// What every SDK driver script here does last: run the steps named on its command line, each
// printing one JSON line {"step": <name>, …what it returned}; a step that threw prints
// {"step": <name>, "unexpected": "<error>"} (tests/integration/node_steps.h reads them). `extra`
// goes into every line.
export async function runSteps(stepsByName, steps, extra = {}) {
  for (const step of steps) {
    const run = stepsByName[step];
    let result;
    try {
      if (!run) throw new Error(`unknown step ${step}`);
      result = await run();
    } catch (error) {
      result = { unexpected: String(error?.stack ?? error) };
    }
    console.log(JSON.stringify({ step, ...extra, ...result }));
  }
}

// A step that expects `run` to throw: {threw: false}, or {threw: true, …describeError(error)}.
export async function failure(run, describeError) {
  try {
    await run();
    return { threw: false };
  } catch (error) {
    return { threw: true, ...describeError(error) };
  }
}
