import type { Page } from "playwright-core";

/** The match page as a person uses it: pick a name, write, read. */
export class MatchPage {
  constructor(readonly page: Page) {}

  static async open(page: Page, serviceUrl: string, id: string): Promise<MatchPage> {
    await page.goto(`${serviceUrl}/match.html?id=${encodeURIComponent(id)}`);
    return new MatchPage(page);
  }

  async pickName(name: string): Promise<void> {
    await this.page.getByLabel("Pick a name to write in the chat").fill(name);
    await this.page.getByRole("button", { name: "Start writing" }).click();
  }

  /** Enters a moderator token in the page's moderator form. */
  async signInAsModerator(token: string): Promise<void> {
    await this.page.getByText("Moderate this chat").click();
    await this.page.getByLabel("Moderator token").fill(token);
    await this.page.getByRole("button", { name: "Moderate", exact: true }).click();
  }

  /** Types and sends `text`; resolves when the page is done sending (sent or failed). */
  async send(text: string): Promise<void> {
    await this.page.getByLabel("Message", { exact: true }).fill(text);
    await this.page.getByRole("button", { name: "Send" }).click();
    await this.page.locator("#send-state:not([data-state=sending])").waitFor({ state: "attached" });
  }

  /** Waits until `n` messages are listed. */
  async waitForMessages(n: number): Promise<void> {
    await this.page.locator(`#messages li:nth-child(${n})`).waitFor();
  }

  /** [seq, author, text] of every message listed, in order. */
  messages(): Promise<Array<[number, string, string]>> {
    return this.page
      .locator("#messages li")
      .evaluateAll((items) =>
        items.map((li) => [
          Number((li as HTMLElement).dataset.seq),
          li.querySelector(".author")!.textContent,
          li.querySelector(".text")!.textContent,
        ]),
      );
  }

  async waitForOnline(count: number): Promise<void> {
    await this.page.locator("#online", { hasText: `${count} online` }).waitFor();
  }
}
