import { escapeTerraformTemplate } from "../../../stacks/core/terraform-string";
import { secretVariableName, terraformIdentifier } from "../../../stacks/core/terraform-names";

describe("escapeTerraformTemplate", () => {
  it.each([
    ["plain text", "plain text"],
    ["`${a}`", "`$${a}`"],
    ["%{if x}", "%%{if x}"],
    ["$${already}", "$$${already}"],
    ["%%{already}", "%%%{already}"],
    ["$ {not} % {not} $5 100%", "$ {not} % {not} $5 100%"],
    ["$$$&$'", "$$$&$'"],
  ])("escapes %j as %j", (input, expected) => {
    expect(escapeTerraformTemplate(input)).toBe(expected);
  });
});

describe("terraform names", () => {
  it("derive lowercase identifiers", () => {
    expect(terraformIdentifier("segment-track")).toBe("segment_track");
    expect(secretVariableName("SEGMENT_WRITE_KEY")).toBe("segment_write_key");
    expect(terraformIdentifier("9lives")).toBe("_9lives");
  });
});
