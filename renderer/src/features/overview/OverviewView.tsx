/** Every service across every environment, Docker and Kubernetes in one list, with health and figures. */
export function OverviewView() {
  return (
    <section className="main-view" aria-labelledby="overview-title">
      <header className="view-header">
        <h1 id="overview-title">Overview</h1>
      </header>
    </section>
  );
}
