/**
 * The end of an admin edit form: the API's error that names no field, the "saved" note, and the
 * submit button (Create … or Save …) with Cancel while an existing entity is being edited.
 */
export function FormFooter(props: {
  formError: string | undefined
  saved: string
  /** What the form edits, in the button's words: "skill", "user", "agent group". */
  noun: string
  editing: boolean
  onCancel: () => void
}) {
  return (
    <>
      {props.formError && (
        <p class="field-error" role="alert">
          {props.formError}
        </p>
      )}
      {props.saved && (
        <p class="banner banner-info" role="status">
          {props.saved}
        </p>
      )}
      <div class="row">
        <button class="button primary" type="submit">
          {props.editing ? `Save ${props.noun}` : `Create ${props.noun}`}
        </button>
        {props.editing && (
          <button class="button" type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </>
  )
}
