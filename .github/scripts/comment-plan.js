// Posts (or updates) one pull-request comment per environment with its Terraform plan. Called from
// actions/github-script in a job that runs no pull-request code (the base branch's copy of this script, the plan
// text as data): require('./.github/scripts/comment-plan.js')({ github, context, environment, planFile, exitCode }).
// The comment it updates is found by its marker AND its author, the workflow's own bot: a comment anyone else wrote
// with the marker is never taken for it. The plan sits in a code block it cannot leave (markdown-fence.js).
const fs = require("fs");
const { fenced } = require("./markdown-fence.js");

const MAX_PLAN_CHARS = 60000; // a GitHub comment holds 65536 characters
/** The identity GITHUB_TOKEN comments as. */
const BOT_LOGIN = "github-actions[bot]";

function isOurs(comment, marker) {
  return comment.user?.login === BOT_LOGIN && comment.user?.type === "Bot" && (comment.body ?? "").startsWith(`${marker}\n`);
}

module.exports = async function commentPlan({ github, context, environment, planFile, exitCode }) {
  const marker = `<!-- auth0-rules-as-code plan: ${environment} -->`;
  let plan = fs.existsSync(planFile) ? fs.readFileSync(planFile, "utf8") : "(no plan output)";
  if (plan.length > MAX_PLAN_CHARS)
    plan = `${plan.slice(0, MAX_PLAN_CHARS)}\n… truncated: the full plan is in the job log.`;
  const outcome = { 0: "no changes", 2: "changes to apply" }[exitCode] ?? `FAILED (exit ${exitCode})`;
  const body = [
    marker,
    `### Terraform plan for \`${environment}\`: ${outcome}`,
    "",
    `Commit ${context.payload.pull_request.head.sha}. Review this with the diff of \`generated/\` (see docs/drift-and-review.md).`,
    "",
    "<details><summary>Plan</summary>",
    "",
    fenced(plan),
    "</details>",
  ].join("\n");
  const comments = await github.paginate(github.rest.issues.listComments, {
    ...context.repo,
    issue_number: context.issue.number,
    per_page: 100,
  });
  const existing = comments.find((comment) => isOurs(comment, marker));
  if (existing) {
    await github.rest.issues.updateComment({ ...context.repo, comment_id: existing.id, body });
  } else {
    await github.rest.issues.createComment({ ...context.repo, issue_number: context.issue.number, body });
  }
};
