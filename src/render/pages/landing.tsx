// GET /: what the newsletter is, the subscribe form, and the latest edition's headlines.
import { dateLabel } from "../format";
import type { ArchiveItem } from "./archive";
import { Layout } from "./layout";

export interface LandingPageProps {
  siteTitle: string;
  latest?: ArchiveItem;
}

/**
 * The landing page. The form posts to /subscribe (the subscriptions module); `website` is a
 * honeypot that people never see and bots fill in.
 * @example c.html(<LandingPage siteTitle="The Daily Digest" />)
 */
export function LandingPage({ siteTitle, latest }: LandingPageProps) {
  return (
    <Layout
      title={siteTitle}
      siteTitle={siteTitle}
      description={`${siteTitle}: the day's news in a few short stories, by email every morning.`}
    >
      <h1>{siteTitle}</h1>
      <p>
        The day's news, read for you: each morning we gather the articles, group the ones that tell the same story, and send a short summary
        of each story with links to its sources. Free, one email a day, unsubscribe with one click.
      </p>
      <form method="post" action="/subscribe">
        <label for="email">Your email address</label>
        <input type="email" id="email" name="email" required autocomplete="email" placeholder="you@example.com" />
        <div class="hp" aria-hidden="true">
          <label for="website">Leave this empty</label>
          <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" />
        </div>
        <input type="hidden" name="source" value="landing" />
        <button type="submit">Subscribe</button>
      </form>
      <p class="muted">We send a confirmation link first; nothing arrives until you click it.</p>
      <section class="card">
        <h2>Latest edition</h2>
        {latest ? (
          <div>
            <p>
              <a href={`/editions/${encodeURIComponent(latest.id)}`}>
                {latest.title} · {dateLabel(latest.date)}
              </a>
            </p>
            <ul>
              {latest.headlines.map((h) => (
                <li>{h}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p>
            No edition has been sent yet. See <a href="/preview">today's preview</a>.
          </p>
        )}
        <p>
          <a href="/editions">All editions</a>
        </p>
      </section>
    </Layout>
  );
}
