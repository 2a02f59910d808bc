/** Alert rules, what fired and when, and acknowledging it. */
export function AlertsView() {
  return (
    <section className="main-view" aria-labelledby="alerts-title">
      <header className="view-header">
        <h1 id="alerts-title">Alerts</h1>
      </header>
    </section>
  );
}
