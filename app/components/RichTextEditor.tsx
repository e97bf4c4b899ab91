/**
 * The editable part of RichTextField, loaded in the browser only (React.lazy): Tiptap 3's starter
 * kit, limited to what the answers' sanitiser keeps, so what the merchant sees is what is stored.
 */
import { useEffect } from "react";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";

import { linkHref } from "../domain/contact/answer-links";

import {
  FormattingToolbar,
  RichTextFrame,
  type FormattingActions,
  type RichTextFieldProps,
  type RichTextIds,
} from "./RichTextToolbar";

export default function RichTextEditor(props: RichTextFieldProps & { ids: RichTextIds }) {
  const { value, onChange, ids } = props;
  const editor = useEditor({
    immediatelyRender: false,
    extensions: [
      StarterKit.configure({
        // Headings 3-4, quotes, inline code and underline are in the sanitiser's list (older answers
        // may have them); code blocks, rules and strike-through are not, so they are not offered.
        heading: { levels: [3, 4] },
        codeBlock: false,
        horizontalRule: false,
        strike: false,
        link: {
          openOnClick: false,
          autolink: true,
          defaultProtocol: "https",
          protocols: ["mailto", "tel"],
          isAllowedUri: (url) => linkHref(url) !== null,
          HTMLAttributes: { rel: "noopener noreferrer nofollow", target: "_blank" },
        },
      }),
    ],
    content: value,
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": ids.labelId,
        ...(ids.helpId ? { "aria-describedby": ids.helpId } : {}),
        ...(props.error ? { "aria-invalid": "true" } : {}),
        class: "aftercare-rich-text__content",
        ...(props.dir ? { dir: props.dir } : {}),
        ...(props.lang ? { lang: props.lang } : {}),
      },
    },
    onUpdate: ({ editor: e }) => onChange(e.isEmpty ? "" : e.getHTML()),
  });

  // A value from outside (what the server stored, a discard) replaces the text; typing does not.
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const current = editor.isEmpty ? "" : editor.getHTML();
    if (current !== value) editor.commands.setContent(value, { emitUpdate: false });
  }, [editor, value]);

  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e
        ? {
            bold: e.isActive("bold"),
            italic: e.isActive("italic"),
            bulletList: e.isActive("bulletList"),
            orderedList: e.isActive("orderedList"),
            link: e.isActive("link"),
            href: (e.getAttributes("link").href as string | undefined) ?? "",
          }
        : null,
  });

  const actions: FormattingActions | undefined = editor
    ? {
        bold: () => editor.chain().focus().toggleBold().run(),
        italic: () => editor.chain().focus().toggleItalic().run(),
        bulletList: () => editor.chain().focus().toggleBulletList().run(),
        orderedList: () => editor.chain().focus().toggleOrderedList().run(),
        link: (href, text) => {
          const chain = editor.chain().focus().extendMarkRange("link");
          if (href === null) chain.unsetLink().run();
          // Nothing selected and no link here: the address itself becomes the link's text.
          else if (editor.state.selection.empty && !editor.isActive("link"))
            chain.insertContent({ type: "text", text, marks: [{ type: "link", attrs: { href } }] }).run();
          else chain.setLink({ href }).run();
        },
      }
    : undefined;

  return (
    <RichTextFrame invalid={Boolean(props.error)}>
      <FormattingToolbar state={state} actions={actions} />
      {editor ? <EditorContent editor={editor} /> : <div className="aftercare-rich-text__content" aria-hidden="true" />}
    </RichTextFrame>
  );
}
